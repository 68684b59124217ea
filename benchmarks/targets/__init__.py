"""The ASGI applications the benchmarks serve, one module each so that a floor never imports
Galerie. Each is served by `benchmarks.serve` under uvicorn as its own process."""

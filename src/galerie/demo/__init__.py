"""Demo data: a deterministic generator that grows with every capability.

`seed_demo` is idempotent: it does nothing when the demo accounts already exist."""

from galerie.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts
from galerie.demo.seed import seed_demo

__all__ = ["DEMO_PASSWORD", "DemoAccount", "demo_accounts", "seed_demo"]

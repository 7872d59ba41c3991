"""Koo's balance sheet recession: deleveraging, the zero lower bound and the policy lab."""

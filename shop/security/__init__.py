"""Hardening of the web layer: input rejection, error pages, login lockout, CSP, logout by POST."""

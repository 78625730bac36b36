"""The base beneath the domain apps: money, payment methods, notifications, languages, documents,
storage and the GraphQL toolkit. Any app may import `core`; `core` imports no app."""

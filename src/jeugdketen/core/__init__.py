"""The neutral core: what every app may use and that uses no app."""

"""Pure code, no I/O: matching, profile validation, agenda and company files, time formatting."""

"""Customer e-mail: what to send and when (notifications), what it says (content), and what the ESP reports back (tracking)."""

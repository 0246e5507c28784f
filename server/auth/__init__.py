"""Sign-in, access and refresh tokens, and login rate limiting."""

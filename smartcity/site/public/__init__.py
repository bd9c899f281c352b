"""The public face: projects marked public, for residents, without sign-in."""

"""The citizens' e-service for digital safety walks (trygghetsvandring), and campaigns."""

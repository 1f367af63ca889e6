"""Organised safety walks (trygghetsvandring i grupp): planning, capture and the protocol."""

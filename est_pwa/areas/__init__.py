"""Named areas of the municipality and the point-in-polygon assignment of observations."""

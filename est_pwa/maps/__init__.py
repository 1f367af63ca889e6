"""The observation map: clustered markers, a heat layer and a list beside them."""

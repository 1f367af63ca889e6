"""EST: Effektiv Samordning för Trygghet, an offline-first app for Swedish municipalities."""

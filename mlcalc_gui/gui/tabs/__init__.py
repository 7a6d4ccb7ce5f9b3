"""One module per topic tab."""

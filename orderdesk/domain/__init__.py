"""The order domain: plain Python rules with no web, database or mail code."""

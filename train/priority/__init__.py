"""Priority models: candidates compared on one split, the urgent threshold, the DVC stage."""

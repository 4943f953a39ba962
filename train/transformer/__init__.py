"""The fine-tuned encoder: backbone choice, data, training loop, calibration, export, MLflow pyfunc, the stage."""

"""Export a fitted PipelineModel as mlship's portable model, parity sample, metrics and manifest."""

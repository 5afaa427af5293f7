"""Embedding back-ends: the Encoder protocol and its implementations (encoders: onnxruntime,
OpenVINO bf16, torch), the one-time ONNX export (export), and the Embedder that picks among them."""

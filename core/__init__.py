"""ConvNet Classroom core: recipes, models, training, export and ONNX inference.

Nothing here imports Streamlit; TensorFlow and Keras are imported lazily by the modules that
train or export, so the serving path (inference, mechanics, artifacts) stays light.
"""

__version__ = "0.1.0"

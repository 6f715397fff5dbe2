"""Reference data files (JSON) shipped with the engine; read with importlib.resources."""

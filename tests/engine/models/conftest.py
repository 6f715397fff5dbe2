"""Model tests run single-threaded: on a shared 2-core machine extra OpenMP threads only spin."""
import torch

torch.set_num_threads(1)

{% if a.hardware != "cpu" %}{% set names, packages = {"CUDA": ("CUDA.jl and cuDNN.jl", "CUDA, cuDNN"), "AMDGPU": ("AMDGPU.jl", "AMDGPU"), "Metal": ("Metal.jl", "Metal")}[a.gpu_backend] -%}
# {% if a.hardware == "gpu-required" %}A full run needs a GPU.{% else %}This tutorial runs on the CPU, and faster on a GPU.{% endif %}
# To use one, add {{ names }} to this environment and load {{ "it" if packages == a.gpu_backend else "them" }} first:
#
# ```julia
# using {{ packages }}
# ```
#
# `gpu_device()` then finds the GPU, and `device(x)` moves the model and each batch there;
# without a working GPU it falls back to the CPU.

{% endif -%}

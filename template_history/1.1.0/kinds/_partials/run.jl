{#- The code that ends every kind, from two blocks the kind sets before including this:
    `short`, the small run the notebook and the docs page execute, written as Literate `#!jl`
    lines (comments in the source, so `include` trains nothing; code in every output but the
    script), and `full`, the default run behind the `PROGRAM_FILE` guard, written as ` #jl`
    lines (code in the source and the script, left out of the notebook and the docs page). -#}
{% for line in short.strip("\n").split("\n") %}#!jl {{ line }}
{% endfor %}
if abspath(PROGRAM_FILE) == @__FILE__ #jl
{% for line in full.strip("\n").split("\n") %}    {{ line }} #jl
{% endfor %}end #jl

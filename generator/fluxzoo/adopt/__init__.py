"""`fluxzoo adopt`: bring an entry written before the standard into it, losing nothing.

Decisions, and why:

- The README's prose moves into the Literate source, as markdown comment lines after the title.
  In the standard `README.md` is derived from `<slug>.jl`; keeping the old README beside the
  script would make `fluxzoo check` report it as stale on every run, and renaming it would split
  the text readers see from the code. Moved, the prose appears in the derived README and the
  notebook, and a contributor edits one file from then on.
- The code is kept byte for byte, except comment lines that Literate would otherwise read as
  markdown in the middle of a statement (an indented `# note` inside a function, a `#-` inside a
  call): they get one more `#`, which Literate removes again in the derived files. Comments at
  the top level between statements become the tutorial's prose, as Literate intends.
- The main script is `<folder>.jl` when there is one, otherwise the Julia file that no other
  file includes and that looks most like training (`train!`, `gradient`, epochs), renamed to
  `<slug>.jl`. The other Julia files are kept where they are; those the main script does not
  include are named in a `TODO(fluxzoo):` line for a person to fold in, include or move.
- Metadata comes from what the entry says about itself: the title from the README's first
  heading, the description from its first paragraph, the Julia and Flux versions it was last
  tested with from Manifest.toml (what it was really resolved with), else from `[compat]`.
  Values are recorded honestly even when the standard wants newer ones, so `fluxzoo check` then
  reports what the legacy code lacks; what cannot be known is a `TODO(fluxzoo):` marker.
- `[fluxzoo]` gets the template version the entry was adopted into and no `answers`: the entry
  was not rendered from the template, so `fluxzoo update` has nothing to re-apply to it.
- Missing files are added (tutorial.toml, test/runtests.jl, .gitignore, notebook and docs page);
  existing ones are kept or extended (Project.toml gains Test, .gitignore the standard patterns
  that match no committed file). A file whose content would be lost (a legacy notebook, a
  `<slug>.jl` that is not the main script) is replaced only with `--force`.
- All or nothing: the adopted entry is built in a copy beside the original and checked there;
  the two folders are swapped only when everything succeeded, and `--dry-run` stops before it.

The modules, in the order adoption runs: `read` (the legacy files), `readme` (its prose),
`guess` (main script, kind and metadata), `source` (the Literate script), `additions`
(Project.toml, tests, .gitignore), `plan` (everything to write, as a `changes.Plan`) and
`write` (building the copy, checking it and swapping it in).
"""

# bash completion for task (promtior-tasks): source it, or save it as /etc/bash_completion.d/task
# Task names, flags and fixed values come from the cache file the CLI keeps for this folder, so a TAB starts no
# Node. The file is checked against the files it was made from; when it is stale or missing, or a value needs the
# CLI (backup ids, another folder's tasks), `task __complete` answers. The file's format: src/cli/complete.ts; the
# rules are those of src/cli/complete-words.cjs.

# Fills COMPREPLY from the cache file; returns 1 when the CLI must answer.
_promtior_task_cached() {
  local base=${XDG_CACHE_HOME:-} key file line w s i n=0 tab=$'\t'
  [[ $base == /* ]] || base=${HOME:-/nonexistent}/.cache
  key=${PWD//\%/%25}
  key=${key//\//%2F}
  file=$base/promtior-tasks/complete/$key
  [[ ${#key} -le 200 && -f $file && -O $file && -O ${file%/*} ]] || return 1
  local -a lines=() skip=()
  if ((BASH_VERSINFO[0] >= 4)); then
    mapfile -t lines <"$file"
  else
    while IFS= read -r line; do lines+=("$line"); done <"$file"
  fi
  [[ ${lines[0]} == 'promtior-tasks completion 1' ]] || return 1
  # Stale if any file it was made from is newer or gone, or one that was absent exists (these lines come first).
  for ((n = 1; n < ${#lines[@]}; n++)); do
    line=${lines[n]}
    case $line in
      "w$tab"*) [[ -e ${line:2} && ! ${line:2} -nt $file ]] || return 1 ;;
      "a$tab"*) [[ ! -e ${line:2} ]] || return 1 ;;
      "s$tab"*) skip+=("${line:2}") ;;
      *) break ;;
    esac
  done
  local cur=${COMP_WORDS[COMP_CWORD]} prev= task= next=
  ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if [[ -n $next ]]; then
      next=
      continue
    fi
    case $w in
      -C | -C?* | --dir | --dir=*) return 1 ;; # another folder: only the CLI knows its tasks
      -*) for s in "${skip[@]}"; do [[ $w == "$s" ]] && next=1; done ;;
      *)
        task=$w
        break
        ;;
    esac
  done
  # One pass: what the global flag before the cursor takes (g*), the task's flag (t*), names, flags.
  local gkind= tkind= known= pos=
  local -a gval=() tval=() names=() globals=() flags=()
  for ((; n < ${#lines[@]}; n++)); do
    line=${lines[n]}
    case $line in
      "t$tab"*)
        w=${line:2}
        [[ $w == "$task" ]] && known=1
        [[ $w == "$cur"* ]] && names+=("$w")
        ;;
      "g$tab"*) [[ ${line:2} == "$cur"* ]] && globals+=("${line:2}") ;;
      "f$tab$task$tab"*)
        w=${line##*"$tab"}
        [[ $w == "$cur"* ]] && flags+=("$w")
        ;;
      "c$tab-$tab$prev$tab"*)
        gkind=c
        w=${line##*"$tab"}
        [[ $w == "$cur"* ]] && gval+=("$w")
        ;;
      "e$tab-$tab$prev" | "d$tab-$tab$prev") gkind=${line:0:1} ;;
      "c$tab$task$tab$prev$tab"*)
        tkind=c
        w=${line##*"$tab"}
        [[ $w == "$cur"* ]] && tval+=("$w")
        ;;
      "e$tab$task$tab$prev" | "d$tab$task$tab$prev") tkind=${line:0:1} ;;
      "p$tab$task") pos=1 ;;
    esac
  done
  COMPREPLY=()
  if [[ -n $prev && -n $gkind ]]; then
    [[ $gkind == d ]] && return 1
    COMPREPLY=("${gval[@]}")
  elif [[ -z $task ]]; then
    if [[ $cur == -* ]]; then COMPREPLY=("${globals[@]}"); else COMPREPLY=("${names[@]}"); fi
  elif [[ -z $known ]]; then
    return 0
  elif [[ $prev == -* && -n $tkind ]]; then
    [[ $tkind == d ]] && return 1
    COMPREPLY=("${tval[@]}")
  elif [[ $cur == -* ]]; then
    COMPREPLY=("${flags[@]}" "${globals[@]}")
  elif [[ -n $pos ]]; then
    return 1
  fi
  return 0
}

_promtior_task() {
  _promtior_task_cached && return 0
  local IFS=$'\n'
  COMPREPLY=($("${COMP_WORDS[0]}" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _promtior_task task ./task

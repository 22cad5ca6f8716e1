#compdef task ./task
# zsh completion for task (promtior-tasks): save as _task in a folder on $fpath (before compinit), or source it.
# Task names, flags and fixed values come from the cache file the CLI keeps for this folder, so a TAB starts no
# Node. The file is checked against the files it was made from; when it is stale or missing, or a value needs the
# CLI (backup ids, another folder's tasks), `task __complete` answers. The file's format: src/cli/complete.ts.

# Sets _promtior_task_out from the cache file. Returns 0 (answered), 1 (the CLI must answer) or 2 (a file name).
_promtior_task_cached() {
  emulate -L zsh
  local base=${XDG_CACHE_HOME:-} key file line w s tab=$'\t'
  [[ $base == /* ]] || base=${HOME:-/nonexistent}/.cache
  key=${PWD//\%/%25}
  key=${key//\//%2F}
  file=$base/promtior-tasks/complete/$key
  [[ ${#key} -le 200 && -f $file && -O $file && -O ${file:h} ]] || return 1
  local -a lines skip
  typeset -ga _promtior_task_out
  _promtior_task_out=()
  lines=("${(@f)$(<$file)}")
  [[ ${lines[1]} == 'promtior-tasks completion 1' ]] || return 1
  for line in "${lines[@]}"; do
    case $line in
      ("w$tab"*) [[ -e ${line#w$tab} && ! ${line#w$tab} -nt $file ]] || return 1 ;;
      ("a$tab"*) [[ ! -e ${line#a$tab} ]] || return 1 ;;
      ("s$tab"*) skip+=("${line#s$tab}") ;;
    esac
  done
  local cur=${words[CURRENT]} prev= task= next= i
  ((CURRENT > 2)) && prev=${words[CURRENT - 1]}
  for ((i = 2; i < CURRENT; i++)); do
    w=${words[i]}
    if [[ -n $next ]]; then
      next=
      continue
    fi
    case $w in
      (-C | -C?* | --dir | --dir=*) return 1 ;; # another folder: only the CLI knows its tasks
      (-*) for s in "${skip[@]}"; do [[ $w == "$s" ]] && next=1; done ;;
      (*)
        task=$w
        break
        ;;
    esac
  done
  # One pass: what the global flag before the cursor takes (g*), the task's flag (t*), names, flags.
  local gkind= tkind= known= pos=
  local -a gval tval names globals flags
  for line in "${lines[@]}"; do
    case $line in
      ("t$tab"*)
        w=${line#t$tab}
        [[ $w == "$task" ]] && known=1
        [[ $w == "$cur"* ]] && names+=("$w")
        ;;
      ("g$tab"*) [[ ${line#g$tab} == "$cur"* ]] && globals+=("${line#g$tab}") ;;
      ("f$tab$task$tab"*)
        w=${line##*$tab}
        [[ $w == "$cur"* ]] && flags+=("$w")
        ;;
      ("c$tab-$tab$prev$tab"*)
        gkind=c
        w=${line##*$tab}
        [[ $w == "$cur"* ]] && gval+=("$w")
        ;;
      ("e$tab-$tab$prev" | "d$tab-$tab$prev") gkind=${line[1]} ;;
      ("c$tab$task$tab$prev$tab"*)
        tkind=c
        w=${line##*$tab}
        [[ $w == "$cur"* ]] && tval+=("$w")
        ;;
      ("e$tab$task$tab$prev" | "d$tab$task$tab$prev") tkind=${line[1]} ;;
      ("p$tab$task") pos=1 ;;
    esac
  done
  if [[ -n $prev && -n $gkind ]]; then
    [[ $gkind == d ]] && return 1
    [[ $gkind == e ]] && return 2
    _promtior_task_out=("${gval[@]}")
  elif [[ -z $task ]]; then
    if [[ $cur == -* ]]; then _promtior_task_out=("${globals[@]}"); else _promtior_task_out=("${names[@]}"); fi
  elif [[ -z $known ]]; then
    return 0
  elif [[ $prev == -* && -n $tkind ]]; then
    [[ $tkind == d ]] && return 1
    [[ $tkind == e ]] && return 2
    _promtior_task_out=("${tval[@]}")
  elif [[ $cur == -* ]]; then
    _promtior_task_out=("${flags[@]}" "${globals[@]}")
  elif [[ -n $pos ]]; then
    return 1
  fi
  return 0
}

_promtior_task() {
  local -a candidates
  _promtior_task_cached
  case $? in
    0) candidates=("${_promtior_task_out[@]}") ;;
    2) _files; return ;;
    *) candidates=("${(@f)$("${words[1]}" __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}") ;;
  esac
  candidates=(${candidates:#})
  compadd -a candidates
}

if [[ ${funcstack[1]} == _task ]]; then
  _promtior_task "$@"
else
  compdef _promtior_task task ./task
fi

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
  if [[ -n $task ]]; then
    (( ${lines[(Ie)t$tab$task]} )) || return 0
  fi
  local scope=${task:--} hit=
  if [[ $prev == -* ]]; then
    for line in "${lines[@]}"; do
      case $line in
        ("c$tab$scope$tab$prev$tab"* | "c$tab-$tab$prev$tab"*)
          hit=1
          w=${line##*$tab}
          [[ $w == "$cur"* ]] && _promtior_task_out+=("$w")
          ;;
        ("e$tab$scope$tab$prev" | "e$tab-$tab$prev") return 2 ;;
        ("d$tab$scope$tab$prev" | "d$tab-$tab$prev") return 1 ;;
      esac
    done
    [[ -n $hit ]] && return 0
  fi
  if [[ $cur == -* ]]; then
    if [[ -n $task ]]; then
      for line in "${lines[@]}"; do
        [[ $line == "f$tab$task$tab"* ]] || continue
        w=${line##*$tab}
        [[ $w == "$cur"* ]] && _promtior_task_out+=("$w")
      done
    fi
    for line in "${lines[@]}"; do
      [[ $line == "g$tab"* ]] || continue
      w=${line#g$tab}
      [[ $w == "$cur"* ]] && _promtior_task_out+=("$w")
    done
  elif [[ -z $task ]]; then
    for line in "${lines[@]}"; do
      [[ $line == "t$tab"* ]] || continue
      w=${line#t$tab}
      [[ $w == "$cur"* ]] && _promtior_task_out+=("$w")
    done
  else
    (( ${lines[(Ie)p$tab$task]} )) && return 1
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

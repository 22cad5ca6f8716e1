# bash completion for task (promtior-tasks): source it, or save it as /etc/bash_completion.d/task
# Task names, flags and fixed values come from the cache file the CLI keeps for this folder, so a TAB starts no
# Node. The file is checked against the files it was made from; when it is stale or missing, or a value needs the
# CLI (backup ids, another folder's tasks), `task __complete` answers. The file's format: src/cli/complete.ts.

# Fills COMPREPLY from the cache file; returns 1 when the CLI must answer.
_promtior_task_cached() {
  local base=${XDG_CACHE_HOME:-} key file line w s tab=$'\t'
  [[ $base == /* ]] || base=${HOME:-/nonexistent}/.cache
  key=${PWD//\%/%25}
  key=${key//\//%2F}
  file=$base/promtior-tasks/complete/$key
  [[ ${#key} -le 200 && -f $file && -O $file && -O ${file%/*} ]] || return 1
  local -a lines=() skip=() out=()
  while IFS= read -r line; do lines+=("$line"); done <"$file"
  [[ ${lines[0]} == 'promtior-tasks completion 1' ]] || return 1
  for line in "${lines[@]}"; do
    case $line in
      "w$tab"*) [[ -e ${line#w"$tab"} && ! ${line#w"$tab"} -nt $file ]] || return 1 ;;
      "a$tab"*) [[ ! -e ${line#a"$tab"} ]] || return 1 ;;
      "s$tab"*) skip+=("${line#s"$tab"}") ;;
    esac
  done
  local cur=${COMP_WORDS[COMP_CWORD]} prev= task= next= i
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
  COMPREPLY=()
  if [[ -n $task ]]; then
    local known=
    for line in "${lines[@]}"; do [[ $line == "t$tab$task" ]] && known=1 && break; done
    [[ -n $known ]] || return 0
  fi
  local scope=${task:--} hit=
  if [[ $prev == -* ]]; then
    for line in "${lines[@]}"; do
      case $line in
        "c$tab$scope$tab$prev$tab"* | "c$tab-$tab$prev$tab"*)
          hit=1
          w=${line##*"$tab"}
          [[ $w == "$cur"* ]] && out+=("$w")
          ;;
        "e$tab$scope$tab$prev" | "e$tab-$tab$prev") return 0 ;;
        "d$tab$scope$tab$prev" | "d$tab-$tab$prev") return 1 ;;
      esac
    done
    if [[ -n $hit ]]; then
      COMPREPLY=("${out[@]}")
      return 0
    fi
  fi
  if [[ $cur == -* ]]; then
    if [[ -n $task ]]; then
      for line in "${lines[@]}"; do
        [[ $line == "f$tab$task$tab"* ]] || continue
        w=${line##*"$tab"}
        [[ $w == "$cur"* ]] && out+=("$w")
      done
    fi
    for line in "${lines[@]}"; do
      [[ $line == "g$tab"* ]] || continue
      w=${line#g"$tab"}
      [[ $w == "$cur"* ]] && out+=("$w")
    done
  elif [[ -z $task ]]; then
    for line in "${lines[@]}"; do
      [[ $line == "t$tab"* ]] || continue
      w=${line#t"$tab"}
      [[ $w == "$cur"* ]] && out+=("$w")
    done
  else
    for line in "${lines[@]}"; do [[ $line == "p$tab$task" ]] && return 1; done
  fi
  COMPREPLY=("${out[@]}")
  return 0
}

_promtior_task() {
  _promtior_task_cached && return 0
  local IFS=$'\n'
  COMPREPLY=($("${COMP_WORDS[0]}" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _promtior_task task ./task

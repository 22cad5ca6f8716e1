# fish completion for task (promtior-tasks): save as ~/.config/fish/completions/task.fish
# Task names, flags and fixed values come from the cache file the CLI keeps for this folder, so a TAB starts no
# Node. The file is checked against the files it was made from; when it is stale or missing, or a value needs the
# CLI (backup ids, another folder's tasks), `task __complete` answers. The file's format: src/cli/complete.ts.

# Prints the candidates from the cache file; status 1 when the CLI must answer.
function __promtior_task_cached
    set -l base $XDG_CACHE_HOME
    string match -q -- '/*' "$base"; or set base $HOME/.cache
    set -l key (string replace -a -- % %25 $PWD | string replace -a -- / %2F)
    set -l file $base/promtior-tasks/complete/$key
    test (string length -- $key) -le 200 -a -f $file; or return 1
    test -O $file -a -O (path dirname -- $file); or return 1
    set -l lines
    while read -l line
        set -a lines $line
    end <$file
    test "$lines[1]" = 'promtior-tasks completion 1'; or return 1
    set -l skip
    for line in $lines[2..-1]
        set -l f (string split -m 1 \t -- $line)
        switch $f[1]
            case w
                test -e "$f[2]"; or return 1
                test "$f[2]" -nt $file; and return 1
            case a
                test -e "$f[2]"; and return 1
            case s
                set -a skip $f[2]
        end
    end
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l prev ''
    set -l task ''
    set -l next 0
    if test (count $tokens) -gt 1
        set prev $tokens[-1]
        for w in $tokens[2..-1]
            if test $next = 1
                set next 0
                continue
            end
            switch $w
                case -C '-C?*' --dir '--dir=*'
                    return 1 # another folder: only the CLI knows its tasks
                case '-*'
                    contains -- $w $skip; and set next 1
                case '*'
                    set task $w
                    break
            end
        end
    end
    if test -n "$task"
        contains -- t\t$task $lines; or return 0
    end
    set -l scope $task
    test -n "$scope"; or set scope -
    set -l n (string length -- "$cur")
    if string match -q -- '-*' "$prev"
        set -l hit 0
        for line in $lines
            set -l f (string split \t -- $line)
            test (count $f) -ge 3 -a "$f[3]" = "$prev"; or continue
            test "$f[2]" = "$scope" -o "$f[2]" = -; or continue
            switch $f[1]
                case c
                    set hit 1
                    test (string sub -l $n -- $f[4]) = "$cur"; and echo $f[4]
                case e
                    __fish_complete_path $cur
                    return 0
                case d
                    return 1
            end
        end
        test $hit = 1; and return 0
    end
    if string match -q -- '-*' "$cur"
        for kind in f g
            for line in $lines
                set -l f (string split \t -- $line)
                if test "$kind" = f -a "$f[1]" = f -a "$f[2]" = "$task"; or test "$kind" = g -a "$f[1]" = g
                    test (string sub -l $n -- $f[-1]) = "$cur"; and echo $f[-1]
                end
            end
        end
    else if test -z "$task"
        for line in $lines
            set -l f (string split \t -- $line)
            test "$f[1]" = t; or continue
            test (string sub -l $n -- $f[2]) = "$cur"; and echo $f[2]
        end
    else
        contains -- p\t$task $lines; and return 1
    end
    return 0
end

function __promtior_task_candidates
    __promtior_task_cached; and return
    set -l tokens (commandline -opc)
    $tokens[1] __complete -- $tokens[2..-1] (commandline -ct) 2>/dev/null
end

complete -c task -f -k -a '(__promtior_task_candidates)'

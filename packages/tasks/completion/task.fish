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
    # One pass: what the global flag before the cursor takes (g*), the task's flag (t*), names, flags.
    set -l n (string length -- "$cur")
    set -l gkind ''
    set -l tkind ''
    set -l known 0
    set -l pos 0
    set -l gval
    set -l tval
    set -l names
    set -l globals
    set -l flags
    for line in $lines[2..-1]
        set -l f (string split \t -- $line)
        set -l last $f[-1]
        set -l fits 0
        test (string sub -l $n -- "$last") = "$cur"; and set fits 1
        switch $f[1]
            case t
                test "$last" = "$task"; and set known 1
                test $fits = 1; and set -a names $last
            case g
                test $fits = 1; and set -a globals $last
            case f
                test "$f[2]" = "$task" -a $fits = 1; and set -a flags $last
            case c e d
                test -n "$prev" -a "$f[3]" = "$prev"; or continue
                if test "$f[2]" = -
                    set gkind $f[1]
                    test $f[1] = c -a $fits = 1; and set -a gval $last
                else if test "$f[2]" = "$task"
                    set tkind $f[1]
                    test $f[1] = c -a $fits = 1; and set -a tval $last
                end
            case p
                test "$f[2]" = "$task"; and set pos 1
        end
    end
    if test -n "$prev" -a -n "$gkind"
        test $gkind = d; and return 1
        if test $gkind = e
            __fish_complete_path $cur
        else
            string join \n -- $gval
        end
    else if test -z "$task"
        if string match -q -- '-*' "$cur"
            string join \n -- $globals
        else
            string join \n -- $names
        end
    else if test $known = 0
        return 0
    else if string match -q -- '-*' "$prev"; and test -n "$tkind"
        test $tkind = d; and return 1
        if test $tkind = e
            __fish_complete_path $cur
        else
            string join \n -- $tval
        end
    else if string match -q -- '-*' "$cur"
        string join \n -- $flags $globals
    else if test $pos = 1
        return 1
    end
    return 0
end

function __promtior_task_candidates
    __promtior_task_cached; and return
    set -l tokens (commandline -opc)
    $tokens[1] __complete -- $tokens[2..-1] (commandline -ct) 2>/dev/null
end

complete -c task -f -k -a '(__promtior_task_candidates)'

# bash completion for caseload: commands, options, report names, import/export kinds, formats and
# the codes options take. The words come from the program itself (`caseload __complete WORD...`
# prints the candidates after WORDs), so they never fall behind it; file names where a file goes.
_caseload()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    case $prev in
    --db | --config | -o | --output)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    esac
    local prog=${words[0]}
    command -v "$prog" >/dev/null 2>&1 || prog=caseload
    local IFS=$'\n'
    local candidates
    candidates=$("$prog" __complete "${words[@]:1:cword-1}" 2>/dev/null)
    local files=""
    case $'\n'$candidates$'\n' in *$'\n'@files$'\n'*) files=yes ;; esac
    candidates=$(printf '%s\n' "$candidates" | grep -v '^@')
    # Options once a - is typed, or when nothing else may stand there.
    if [[ $cur != -* ]] && { [ -n "$files" ] || printf '%s\n' "$candidates" | grep -qv '^-'; }; then
        candidates=$(printf '%s\n' "$candidates" | grep -v '^-')
    fi
    COMPREPLY=()
    [ -n "$candidates" ] && COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
    [ -n "$files" ] && COMPREPLY+=($(compgen -f -- "$cur"))
}
complete -F _caseload caseload

#### $! is a live process that kill ends
# subprocess
/bin/sleep 5 & p=$!; [ -d /proc/$p ] && echo alive; kill $p; wait $p 2>/dev/null; echo $?
#### $! of a pipeline is its last process
# subprocess
/bin/sleep 0.1 | /bin/sleep 5 & p=$!; kill $p; wait $p 2>/dev/null; echo $?
#### $! is the child's pid: its parent is this shell
# subprocess
/bin/sleep 5 & read _ _ _ ppid _ < /proc/$!/stat; [ "$ppid" = "$$" ] && echo child of shell; kill $!; wait $! 2>/dev/null
#### kill -9 $!
# subprocess
/bin/sleep 5 & kill -9 $!; wait $! 2>/dev/null; echo $?
#### wait $! status of a finished program
# subprocess
/bin/sh -c 'exit 5' & wait $!; echo $?
#### wait $! twice reports 127 the second time
# subprocess
/bin/true & p=$!; wait $p; echo $?; wait $p; echo $?
#### $! unchanged by a foreground command
# subprocess
/bin/true & a=$!; /bin/true; [ "$a" = "$!" ] && echo same; wait
#### $! differs per job
# subprocess
/bin/true & a=$!; /bin/true & b=$!; [ "$a" != "$b" ] && echo differ; wait
#### kill $! of an in-process job
# subprocess
{ sleep 5; echo never; } & kill $!; wait $! 2>/dev/null; echo $?
#### wait $! of a compound job
# subprocess
{ /bin/true; exit 6; } & wait $!; echo $?
#### kill 0 $! checks a live job
# subprocess
/bin/sleep 5 & kill -0 $! && echo running; kill $!; wait $! 2>/dev/null; kill -0 $! 2>/dev/null || echo gone
#### jobs -p lists $!
# subprocess
/bin/sleep 5 & jobs -p > pids; read p < pids; [ "$p" = "$!" ] && echo listed; kill $!; wait $! 2>/dev/null; echo $?

// libsystemd's notification and journal APIs (the non-variadic ones Swift can call).
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

// libpq's public header, as installed by Debian's libpq-dev.
#include <postgresql/libpq-fe.h>

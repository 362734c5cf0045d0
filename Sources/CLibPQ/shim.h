// libpq's public header. Its directory comes from pkg-config (`pkgConfig: "libpq"` in Package.swift);
// without pkg-config, Debian's libpq-dev location is the fallback.
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif

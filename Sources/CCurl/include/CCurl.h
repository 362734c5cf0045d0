#ifndef CCURL_H
#define CCURL_H

// Typed wrappers over libcurl's variadic entry points (curl_easy_setopt, curl_easy_getinfo), which Swift
// cannot call directly, plus a once-only global initialisation. Each wrapper passes its argument with the
// exact C type the option expects (long, curl_off_t, pointer), so no value goes through `...` with the
// wrong width.

#include <curl/curl.h>

#pragma clang assume_nonnull begin

/// Signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *_Nullable context);

/// Calls `curl_global_init(CURL_GLOBAL_DEFAULT)` exactly once per process, whichever thread gets here first.
/// Returns the result of that one call.
CURLcode ccurl_global_init(void);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/// String options are copied by libcurl (except CURLOPT_POSTFIELDS, which must outlive the transfer).
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *_Nullable value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *_Nullable value);
/// The list is not copied: free it with curl_slist_free_all only after the transfer.
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *_Nullable list);
CURLcode ccurl_setopt_write_callback(CURL *handle, ccurl_data_callback callback);
CURLcode ccurl_setopt_header_callback(CURL *handle, ccurl_data_callback callback);

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#pragma clang assume_nonnull end

#endif

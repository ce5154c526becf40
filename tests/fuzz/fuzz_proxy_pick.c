/*
 * fuzz_proxy_pick.c - bgt_proxy_pick, where a client's BITS proxy list and
 * bypass list (SetProxySettings) become the proxy libcurl is told to use.
 * Input: a proxy list and a bypass list separated by the first NUL byte
 * (no NUL: no bypass list); the request URL is fixed, http or https by the
 * input's first byte.  Invariants: success gives "" or
 * "http(s)://host:port" that libcurl's URL parser accepts back, with no
 * user name, path, query or fragment; failure gives NULL.
 */
#include <curl/curl.h>

#include "bgt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    const uint8_t *nul = memchr(data, 0, size);
    char *list, *bypass = NULL;
    if (nul != NULL) {
        list = fuzz_cstring(data, (size_t)(nul - data));
        bypass = fuzz_cstring(nul + 1, size - (size_t)(nul - data) - 1);
    } else {
        list = fuzz_cstring(data, size);
    }
    const char *url = size > 0 && (data[0] & 1) ? "https://a.example:8443/x" : "http://a.example/x";
    char *proxy = (char *)1;
    int rc = bgt_proxy_pick(url, list, bypass, &proxy);
    if (rc != 0) {
        FUZZ_CHECK(proxy == NULL);
    } else if (proxy[0] != '\0') {
        FUZZ_CHECK(bgt_ascii_prefix(proxy, "http://") || bgt_ascii_prefix(proxy, "https://"));
        CURLU *u = curl_url();
        FUZZ_CHECK(u != NULL);
        FUZZ_CHECK(curl_url_set(u, CURLUPART_URL, proxy, 0) == CURLUE_OK);
        char *part = NULL;
        FUZZ_CHECK(curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_NO_USER);
        FUZZ_CHECK(curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_NO_QUERY);
        FUZZ_CHECK(curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_NO_FRAGMENT);
        FUZZ_CHECK(curl_url_get(u, CURLUPART_PATH, &part, 0) == CURLUE_OK);
        FUZZ_CHECK(strcmp(part, "/") == 0);
        curl_free(part);
        FUZZ_CHECK(curl_url_get(u, CURLUPART_PORT, &part, 0) == CURLUE_OK);
        curl_free(part);
        curl_url_cleanup(u);
    }
    free(proxy);
    free(list);
    free(bypass);
    return 0;
}

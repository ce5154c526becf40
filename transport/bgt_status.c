/*
 * bgt_status.c - names of transport outcomes and the mapping from libcurl's
 * error codes to them.  core/ turns bgt_status into BITS HRESULTs; keeping
 * the curl vocabulary on this side of the line means core never includes
 * curl.h.
 */
#include "bgt_internal.h"

const char *bgt_status_name(bgt_status s)
{
    switch (s) {
    case BGT_OK: return "BGT_OK";
    case BGT_ERR_HTTP_STATUS: return "BGT_ERR_HTTP_STATUS";
    case BGT_ERR_RANGE_IGNORED: return "BGT_ERR_RANGE_IGNORED";
    case BGT_ERR_RANGE_MISMATCH: return "BGT_ERR_RANGE_MISMATCH";
    case BGT_ERR_SIZE_MISMATCH: return "BGT_ERR_SIZE_MISMATCH";
    case BGT_ERR_RESOLVE: return "BGT_ERR_RESOLVE";
    case BGT_ERR_CONNECT: return "BGT_ERR_CONNECT";
    case BGT_ERR_TIMEOUT: return "BGT_ERR_TIMEOUT";
    case BGT_ERR_CONNECTION_CLOSED: return "BGT_ERR_CONNECTION_CLOSED";
    case BGT_ERR_TLS: return "BGT_ERR_TLS";
    case BGT_ERR_LOCAL_WRITE: return "BGT_ERR_LOCAL_WRITE";
    case BGT_ERR_SOURCE_NOT_FOUND: return "BGT_ERR_SOURCE_NOT_FOUND";
    case BGT_ERR_SOURCE_ACCESS: return "BGT_ERR_SOURCE_ACCESS";
    case BGT_ERR_SOURCE_NOT_FILE: return "BGT_ERR_SOURCE_NOT_FILE";
    case BGT_ERR_BAD_URL: return "BGT_ERR_BAD_URL";
    case BGT_ERR_REDIRECT: return "BGT_ERR_REDIRECT";
    case BGT_ERR_BAD_RESPONSE: return "BGT_ERR_BAD_RESPONSE";
    case BGT_ERR_PROXY_INFO: return "BGT_ERR_PROXY_INFO";
    case BGT_ERR_CERT_REJECTED: return "BGT_ERR_CERT_REJECTED";
    case BGT_ERR_OTHER: return "BGT_ERR_OTHER";
    }
    return "BGT_ERR_(unknown)";
}

bgt_status bgt_status_from_curl(CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return BGT_OK;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return BGT_ERR_RESOLVE;
    case CURLE_COULDNT_CONNECT:
        return BGT_ERR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return BGT_ERR_TIMEOUT;
    /* The peer went away or spoke garbage mid-response: from BITS's point of
     * view the connection was lost, which is transient and worth a retry. */
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
        return BGT_ERR_CONNECTION_CLOSED;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return BGT_ERR_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return BGT_ERR_BAD_URL;
    case CURLE_WRITE_ERROR:
        return BGT_ERR_LOCAL_WRITE;
    case CURLE_FILE_COULDNT_READ_FILE:
        return BGT_ERR_SOURCE_NOT_FOUND;
    case CURLE_TOO_MANY_REDIRECTS:
        return BGT_ERR_HTTP_STATUS;
    default:
        return BGT_ERR_OTHER;
    }
}

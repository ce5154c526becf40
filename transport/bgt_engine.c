/* placeholder: the transport implementation replaces this file */
#include "bgt.h"

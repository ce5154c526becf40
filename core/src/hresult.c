/* placeholder */
#include "bgcopy.h"

// The control case of `layering.*`: with the same include path a modules/ header is found.
#include "modules/error.h"

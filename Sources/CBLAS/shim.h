// The C BLAS interface of OpenBLAS (Debian: libopenblas-dev, found through pkg-config).
#include <cblas.h>

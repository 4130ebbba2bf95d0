// OpenBLAS's CBLAS interface and the C interface to LAPACK, as Debian installs them.
#include <cblas.h>
#include <lapacke.h>

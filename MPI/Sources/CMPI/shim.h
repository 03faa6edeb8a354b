// MPI's handles are macros that Swift cannot import (Open MPI's MPI_COMM_WORLD is the address
// of a global cast to a pointer type): these functions return them.
#include <mpi.h>

static inline MPI_Comm sparsity_mpi_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype sparsity_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype sparsity_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype sparsity_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype sparsity_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op sparsity_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op sparsity_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler sparsity_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int sparsity_mpi_success(void) { return MPI_SUCCESS; }
static inline int sparsity_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int sparsity_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline void *sparsity_mpi_in_place(void) { return MPI_IN_PLACE; }

// Asio's non-template functions, compiled once for every file that includes
// Asio (ASIO_SEPARATE_COMPILATION, set on the hearth_asio target).
#include <asio/impl/src.hpp>

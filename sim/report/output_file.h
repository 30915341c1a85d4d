#pragma once
// Single output files (`qtsim trace --out FILE`, `qtsim gemm --vcd FILE`)
// under the same rule as output folders (output_folder.h): qtsim never
// overwrites a file it did not write. An existing target may be replaced only
// when it is recognisably a file of the same kind written by qtsim (a qtsim
// trace; a qtsim waveform); a folder, a symbolic link or any other file is an
// Error naming it. Missing parent folders are created. The file is written
// under a unique temporary name beside the target and renamed into place, so
// a kill leaves the old file or the new one.
#include <string>

namespace qtsim {

// How to recognise an existing file as one qtsim wrote.
enum class OutputFileKind { trace, waveform };

// Throws Error when `path` may not be written; creates missing parents.
void check_output_file(const std::string& path, OutputFileKind kind);

}  // namespace qtsim

# qtsim_layer(<target> <folder> [<folder below>...])
# A static library of every .cpp under <folder> (the program's main, sim/cli/
# main.cpp, excepted), compiled against an include root of its own in the
# build tree: a folder of links to <folder> and to the folders below it, and
# nothing else. An #include "<path>" that names a layer above or beside it
# therefore fails to compile. The root is PUBLIC: a target that links the
# layer sees what the layer sees.
function(qtsim_layer target folder)
  set(root ${CMAKE_BINARY_DIR}/include_roots/${target})
  file(MAKE_DIRECTORY ${root})
  foreach(visible IN ITEMS ${folder} ${ARGN})
    file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${visible} ${root}/${visible} SYMBOLIC)
  endforeach()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${folder}/*.cpp)
  list(FILTER sources EXCLUDE REGEX ".*/sim/cli/main\\.cpp$")
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${root})
  # Inside the layer, sub-folders depend only on the sub-folders before them
  # (scripts/check_layers.py, which also draws the include graph).
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${folder}/*.h)
  set(stamp ${CMAKE_BINARY_DIR}/layer_checks/${target}.ok)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/check_layers.py --root ${CMAKE_SOURCE_DIR}
            --layer ${folder} --stamp ${stamp}
    DEPENDS ${sources} ${headers} ${CMAKE_SOURCE_DIR}/scripts/check_layers.py
    COMMENT "Checking the include graph of ${folder}/"
    VERBATIM)
  add_custom_target(${target}_layer_check DEPENDS ${stamp})
  add_dependencies(${target} ${target}_layer_check)
endfunction()

# Writes OUT: a C++ array of the migrations in SQL_DIR (NN-name.sql, in order).
# Refuses a directory whose numbers are not exactly 1, 2, 3…: a gap or two
# files with one number would skip or repeat a schema change on some stores
# (Db::migrate checks the compiled list again at run time).
file(GLOB files "${SQL_DIR}/*.sql")
list(SORT files COMPARE NATURAL)
set(body "")
set(expected 1)
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  if(NOT name MATCHES "^[0-9]+-")
    message(FATAL_ERROR "store/sql/${name}.sql: a migration is named NN-what.sql, e.g. 04-notes.sql")
  endif()
  string(REGEX MATCH "^[0-9]+" num ${name})
  math(EXPR version "${num}")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "store/sql/${name}.sql has number ${version} where ${expected} was "
                        "expected: migrations are numbered 1, 2, 3… without gaps or duplicates")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ ${f} sql)
  string(APPEND body "  {${version}, \"${name}\", R\"hearthsql(${sql})hearthsql\"},\n")
endforeach()
file(WRITE ${OUT} "// Generated from store/sql by store/embed_sql.cmake. Do not edit.\n#include \"store/db.h\"\n\nnamespace hearth::store {\nnamespace {\nconst Migration kMigrations[] = {\n${body}};\n}  // namespace\n\nstd::span<const Migration> migrations() { return kMigrations; }\n\n}  // namespace hearth::store\n")

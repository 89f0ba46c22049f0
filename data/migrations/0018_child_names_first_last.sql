-- 0018: child_names_first holds each first name's children in the order of their last names
-- (first, last), so that the child finder (src/store/child_search.c) reads the children of a
-- first name in the order of its list and stops at the rows it shows, instead of reading every
-- child whose first name it begins and sorting them (issue 8: a keypress reads only the rows it
-- shows, by an index).
DROP INDEX child_names_first;
CREATE INDEX child_names_first ON child_names(first, last);

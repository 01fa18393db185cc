"""Reading each section of the form into typed values, with the problems of its own fields."""

"""The Streamlit layer shared by the pages: cached data access, global filters, common widgets."""

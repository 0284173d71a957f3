from samtale.rounds import concept_views, views

app_name = "rounds"

# Each area keeps its own URLs next to its views.
urlpatterns = [*views.urlpatterns, *concept_views.urlpatterns]
